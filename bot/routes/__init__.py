"""HTTP callbacks of the chat platforms: each turns a signed request into the one internal message."""
