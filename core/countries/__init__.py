"""Countries: the gazetteer, resolving mentions in text, and name lookup for typed names."""
