#!/usr/bin/env bash
# Builds and runs examples/: two user projects, each with only the one dependency the README names (imageio-client:
# io.qtk:codec-imageio-plugin, through plain ImageIO, on the class path and on the module path; embedding-client:
# io.qtk:codec-models, through Qtk.encode / Qtk.decode). They resolve qtk from the local Maven repository, so run
# this right after `mvn install` (scripts/test.sh does). First checks that the README shows exactly their
# <dependency> blocks, at the version being built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python3 - <<'PY'
import re, sys, textwrap
def block(pom):
    text = open(pom).read()
    m = re.search(r"\n( *<dependency>.*?</dependency>)", text, re.S)
    return textwrap.dedent(m.group(1)).strip(), re.search(r"<version>(.*?)</version>", m.group(1)).group(1)
parent = open("pom.xml").read()
built = re.search(r"<artifactId>qtk-parent</artifactId>\s*<version>(.*?)</version>", parent).group(1)
readme = open("README.md").read()
snippets = [textwrap.dedent(s).strip() for s in re.findall(r"```xml\n(.*?)```", readme, re.S)]
bad = []
for pom in ("examples/imageio-client/pom.xml", "examples/embedding-client/pom.xml"):
    dep, version = block(pom)
    if version != built:
        bad.append("%s depends on version %s, the build is %s" % (pom, version, built))
    if not any(dep in s for s in snippets):
        bad.append("README.md has no ```xml block with the dependency of %s:\n%s" % (pom, dep))
if bad:
    sys.exit("test-clients: " + "\n".join(bad))
print("test-clients: README dependency snippets match examples/*/pom.xml (version %s)" % built)
PY
mvn -B -ntp -f examples/pom.xml verify "$@"
