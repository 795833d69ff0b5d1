"""People and organisations: capitalised spans classified by cues, short forms folded."""
