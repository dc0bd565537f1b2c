"""Downloads a model repository from the hub (HF_ENDPOINT) into a folder.

usage: python3 download_model.py ORG/NAME DEST
The hand-written Dockerfile runs it; the token comes from the build secret
/run/secrets/hf_token when there is one.
"""

import json
import os
import sys
import urllib.request

repo, dest = sys.argv[1], sys.argv[2]
endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
headers = {}
if os.path.exists("/run/secrets/hf_token"):
    with open("/run/secrets/hf_token") as f:
        headers["Authorization"] = "Bearer " + f.read().strip()


def get(url):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60)


with get(f"{endpoint}/api/models/{repo}/revision/main") as response:
    info = json.load(response)
for sibling in info["siblings"]:
    name = sibling["rfilename"]
    target = os.path.join(dest, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with get(f"{endpoint}/{repo}/resolve/{info['sha']}/{name}") as response, open(target, "wb") as out:
        out.write(response.read())
print("downloaded", len(info["siblings"]), "files to", dest)
