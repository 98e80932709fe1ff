"""Stage 2, plain data: the document model ingest builds and the checks read, printed
figures as exact quantities, text as it is compared, and the findings the checks
return."""
