"""Platform adapters: each turns its wire format into IncomingMessage and a Reply back into its wire format."""
