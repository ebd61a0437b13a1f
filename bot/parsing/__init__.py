"""Pure readers of what a person typed: command arguments and time zones."""
