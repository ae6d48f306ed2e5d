-- issue 22: the page check's evidence image (the rectified photo with what differs from the
-- approved page marked, JPEG) kept with its verdict, shown beside the ledger entry.
ALTER TABLE document_verdicts ADD COLUMN difference_image {{blob}};
