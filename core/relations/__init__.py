"""Country relations: the CAMEO event coder (who did what to whom), pair mentions, per-pair summaries."""
