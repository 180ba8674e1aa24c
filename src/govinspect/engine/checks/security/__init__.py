"""Security checks: prohibited content and hidden links."""
