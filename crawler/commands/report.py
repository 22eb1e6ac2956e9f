"""`scrapy report RUN_DIR`: another name for `scrapy audit RUN_DIR` (issue 5 calls it so)."""
from crawler.commands.audit import Command as AuditCommand


class Command(AuditCommand):
    name = "report"
