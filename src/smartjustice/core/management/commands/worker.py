"""`smartjustice worker`: the background worker that `make run` starts beside the web server.

Two loops in one process: the django-tasks database queue (tasks any module enqueues) in a thread, and the
scheduler of periodic jobs (each module's `@periodic` jobs in its tasks.py: deliveries and retries, deadline
checks …) in the main thread. SIGTERM/SIGINT stop it gracefully after the current job; SIGKILL is safe too,
because jobs claim work under leases or row locks and whatever a killed worker had claimed is taken up again once
its lease runs out.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from smartjustice.core.scheduler import Scheduler, discover

logger = logging.getLogger("smartjustice.worker")


class Command(BaseCommand):
    help = "后台工作进程：执行任务队列（django-tasks 数据库后端）和各模块登记的定时作业（数据投递与重试、检查点签发等）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时的轮询间隔（秒）")
        parser.add_argument("--once", action="store_true", help="执行一轮定时作业和已到期的任务后退出")
        parser.add_argument("--no-queue", action="store_true", help="不执行任务队列，只运行定时作业")

    def handle(self, *args, interval: float, once: bool, no_queue: bool, verbosity: int, **options):
        logging.getLogger("smartjustice.worker").setLevel(logging.INFO if verbosity else logging.WARNING)
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"
        jobs = discover()
        scheduler = Scheduler(worker_id, jobs)
        queue = None if no_queue else self._queue_worker(worker_id, interval, batch=once)
        stop = threading.Event()

        def shutdown(signum, frame):
            self.stdout.write(f"收到 {signal.Signals(signum).name}，完成当前作业后退出")
            stop.set()
            if queue is not None:
                queue.running = False

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        self.stdout.write(f"工作进程 {worker_id} 已启动；定时作业：{'、'.join(jobs) or '无'}")
        thread = None
        if queue is not None:
            thread = threading.Thread(target=self._run_queue, args=(queue,), name="tasks", daemon=True)
            thread.start()
        while not stop.is_set():
            scheduler.tick()
            if once:
                break
            stop.wait(interval)
        if thread is not None:
            if not once:
                queue.running = False
            thread.join()
        self.stdout.write("工作进程已退出")

    @staticmethod
    def _queue_worker(worker_id: str, interval: float, *, batch: bool):
        from django_tasks import task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends["default"], DatabaseBackend):
            return None  # e.g. the immediate backend: tasks already ran when they were enqueued
        return Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id[:64],
            excluded_queue_names=[],
        )

    @staticmethod
    def _run_queue(queue) -> None:
        from django.db import connection

        try:
            queue.run()
        except Exception:
            logger.exception("task queue loop stopped")
        finally:
            connection.close()
