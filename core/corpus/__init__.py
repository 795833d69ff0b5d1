"""The analysed corpus in use: the session, filtering (query language, indexes), views, export."""
