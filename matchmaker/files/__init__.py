"""Uploaded files (attachments): type and size limits, content sniffing, storage on disk."""
