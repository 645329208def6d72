"""Killing a process while it saves leaves the old or the new project, both openable.

A child process saves the project in a loop; the test kills it (SIGKILL) at random
moments, 60 times, and opens the file after each kill.  Every save writes a counter
both into the metadata and into a feature attribute in the same transaction, so an
opened file must show the same counter in both places.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from smartgis.project import open_project
from smartgis.core import Project
from tests.helpers import buildings_layer

CHILD = textwrap.dedent("""
    import sys
    from smartgis.project import open_project
    p = open_project(sys.argv[1])
    lyr = p.layer("建筑物")
    i = int(p.metadata.get("city") or 0)
    print("ready", flush=True)
    while True:
        i += 1
        p.set_metadata(city=str(i))
        lyr.set_value(0, "人口", i)      # the layer is rewritten on every save
        p.save()
        print(i, flush=True)
""")

KILLS = 60


@pytest.mark.slow
def test_kill_during_save_never_damages_the_project(tmp_path):
    path = tmp_path / "保存 测试.gpkg"
    p = Project("断电测试", "EPSG:4547")
    p.add_layer(buildings_layer(20_000))
    p.set_metadata(city="0")
    p.layer("建筑物").set_value(0, "人口", 0)
    p.save(path)
    rng = random.Random(4547)
    seen = []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    for k in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        q = open_project(path)                    # integrity check included
        counter = int(q.metadata["city"])
        assert q.layer("建筑物").table.value(0, "人口") == counter, f"kill {k}: torn save"
        assert q.layer("建筑物").feature_count == 20_000
        seen.append(counter)
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            b = open_project(backup)
            assert int(b.metadata["city"]) <= counter
    assert seen == sorted(seen) and seen[-1] > seen[0], "saves made progress between kills"
    leftovers = [x for x in tmp_path.iterdir() if x.name.endswith(".saving")]
    open_project(path).save()                     # the next save clears stale temporary files
    assert not [x for x in tmp_path.iterdir() if x.name.endswith(".saving")], leftovers
