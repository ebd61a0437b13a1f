"""Pure rendering to Telegram HTML: data in, strings out. No I/O, no library objects."""
