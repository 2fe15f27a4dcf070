from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve eom over HTTP with a multi-threaded WSGI server (waitress)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, port: int, host: str, threads: int, **options):
        from waitress import serve

        from eom.wsgi import application

        self.stdout.write(f"eom is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="eom")
