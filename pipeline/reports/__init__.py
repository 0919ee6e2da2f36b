"""The yearly report 연도별 기업실태조사 결과: published tables under disclosure control, written
as a formatted Excel workbook with native charts and a self-contained HTML page."""
