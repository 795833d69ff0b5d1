"""People, organisations, places and other names: a learned tagger (features, model, recognise) and the
older cue rules (words, candidates, find) it replaced, kept as a benchmark baseline."""
