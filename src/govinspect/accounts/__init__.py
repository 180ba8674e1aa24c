"""Users' roles and scope, and the audit log of every state change."""
