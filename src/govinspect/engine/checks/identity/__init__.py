"""Identity marks of the footer (网站标识, 找错入口)."""
