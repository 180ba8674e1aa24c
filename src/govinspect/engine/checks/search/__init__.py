"""Site search quality (W-D8 站内搜索)."""
