"""The Polars YAKE engine: yake's tokens, term features and candidates for a whole batch at once."""
