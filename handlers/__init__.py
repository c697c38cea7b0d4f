"""Chat intents and reminder jobs: plain functions that take an internal message and return a reply.

They know nothing of HTTP or of a platform; the chat feature adds them here.
"""
