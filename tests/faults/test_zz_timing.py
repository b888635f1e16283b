import sys

sys.path.insert(0, "/tmp")
import faults_timing  # noqa
from faults import world


def test_zz_report():
    for k, v in world.TIMES.items():
        print(k, len(v), round(sum(v), 2), round(max(v), 3))
