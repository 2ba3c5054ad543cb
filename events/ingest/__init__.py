"""The ingestion wing: fetch (network) → parse (formats) → extract (text to
candidate fields) → store (dedup, drafts). Each stage passes plain data
(events.ingest.types) to the next, so each is tested on real files alone."""
