"""通知公告: the organisers' announcements (drafts, scheduled publication, attachments)."""
