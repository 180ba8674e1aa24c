"""Page tags (页面标签): SiteName, ColumnName, ArticleTitle …"""
