"""The `newsdesk` command: `main` parses the arguments and runs one subcommand or the dashboard."""
