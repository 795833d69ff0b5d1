"""Splitting article text: sentence spans with exact offsets."""
