"""Rectification (整改): confirmed findings become tasks for their organizer, closed by re-inspection."""
