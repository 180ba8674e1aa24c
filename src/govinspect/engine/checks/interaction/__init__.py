"""Message boards: channel, unanswered and perfunctory replies (W-V5, W-D14)."""
