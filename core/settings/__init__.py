"""The settings file: feeds, refresh interval, watched folders; editing it keeping comments."""
