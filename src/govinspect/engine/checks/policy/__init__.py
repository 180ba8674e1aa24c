"""Policy documents: 公开要素 and the two-way link with their interpretations."""
