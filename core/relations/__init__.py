"""Country relations: pair mentions per sentence, their stance from cue words, per-pair summaries."""
