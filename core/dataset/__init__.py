"""Analysed datasets: Parquet partitions plus a manifest, written by local or Dask workers."""
