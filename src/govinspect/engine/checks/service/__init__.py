"""Service guides (办事指南, W-V6)."""
