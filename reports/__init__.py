"""Reports of a run: the CSVs, the draft bulletin, the HTML page, run history.

`finish_run(run_dir, config, as_of, settings=None)` is the run's finishing step
(called by the spider at the end of a crawl and by `scrapy audit RUN_DIR`).
"""
from reports.run import finish_run

__all__ = ["finish_run"]
