"""Error reports from the public (我为政府网站找错): intake, routing, deadlines, answers, statistics."""
