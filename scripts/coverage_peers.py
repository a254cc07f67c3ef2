#!/usr/bin/env python3
"""Generate docs/coverage/peers.tsv: the providers the four peer scanners detect.

Reads rule ids and names (facts only) from the peers' public repositories on
disk (read-only git directories) and writes one row per peer rule/detector:

    peer  peer_id  provider  kind  name

`provider` is an automatic key (the peer's provider segment, reduced to a key
another peer or a leakstop rule file already uses) corrected by the hand-
curated KEY_MAP / ID_MAP below; `kind` is `credential` unless the peer rule
detects something that is not a secret on its own (a client/app/account id,
domain, host, URL, username, e-mail, bucket, public key or publishable token:
NOT_CREDENTIAL_NAME, NOT_CREDENTIAL_IDS below).

    scripts/coverage_peers.py [--mirror DIR] [--out docs/coverage/peers.tsv]

Python 3.11 standard library only.
"""

import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PEERS = {
    "gitleaks": "gitleaks+gitleaks/repo",
    "noseyparker": "praetorian-inc+noseyparker/repo",
    "kingfisher": "mongodb+kingfisher/repo",
    "trufflehog": "trufflesecurity+trufflehog/repo",
}
# Words that name a kind of credential rather than the provider: a TruffleHog
# detector name made of a known provider key followed only by these words
# (e.g. newrelic + browser + key) belongs to that provider.
WORDS = sorted("""
    access account admin api app auth basic bot browser ca cloud cody consumer
    datacenter global insert insights intent key license management mobile oauth
    oauth2 observability org organization password pat payment personal project
    publish query read reference refresh secret service sms subscription token
    user v2 webhook write
""".split(), key=len, reverse=True)


# Curated: automatic key -> provider key (the same provider under one key,
# leakstop's file slug where one exists).
KEY_MAP = {
    "1password": "onepassword", "adafruit": "adafruitio", "adobeio": "adobe", "alibabacloud": "alibaba",
    "amplitudeapikey": "amplitude", "appsync": "aws", "arn": "aws", "asanaoauth": "asana", "s3": "aws",
    "azureappconfigconnectionstring": "azure", "azurebatch": "azure", "azurecontainerregistry": "azure",
    "azurecosmosdb": "azure", "azuredirectmanagementkey": "azure", "azureentra": "azure",
    "azurefunctionkey": "azure", "azureopenai": "azure", "azuresastoken": "azure", "azuresearch": "azure",
    "azurestorage": "azure", "azuredevops": "azure-devops", "blogger": "google", "boxoauth": "box",
    "braintreepayments": "braintree", "chatfule": "chatfuel", "checkout": "checkout-com", "cisco": "meraki",
    "cratesio": "crates-io", "credentials": "uri", "defined": "defined-networking", "dockerhub": "docker",
    "dtrack": "dependency-track", "duffeltoken": "duffel", "frame": "frameio", "gcp": "google",
    "gcpapplicationdefaultcredentials": "google", "gcs": "google", "googlegemini": "google",
    "hashicorp": "vault", "hashicorpvault": "vault", "hashicorpvaultauth": "vault", "ibm": "ibm-cloud",
    "ibmcloud": "ibm-cloud", "iexapis": "iexcloud", "ipquality": "ipqualityscore", "jfrog": "artifactory",
    "jira": "atlassian", "krb5": "password-hash", "pwhash": "password-hash", "larksuiteapikey": "larksuite",
    "linemessaging": "line", "linenotify": "line", "notify": "line", "mailjetsms": "mailjet",
    "mattermostpersonaltoken": "mattermost", "microsoftteamswebhook": "microsoft-teams",
    "msteams": "microsoft-teams", "nexmoapikey": "vonage", "npmtoken": "npm", "npmtokenv2": "npm",
    "nozbeteams": "nozbe", "octopus": "octopusdeploy", "pem": "private-key", "privkey": "private-key",
    "private": "private-key", "privatekey": "private-key", "pkcs12": "private-key",
    "phraseaccesstoken": "phrase", "planetscaledb": "planetscale", "portainertoken": "portainer",
    "pusherchannelkey": "pusher", "reactapp": "react-app", "restpackhtmltopdfapi": "restpack",
    "restpackscreenshotapi": "restpack", "saladcloudapikey": "saladcloud", "satismeterprojectkey": "satismeter",
    "satismeterwritekey": "satismeter", "sauce": "saucelabs", "sinchmessage": "sinch", "sonar": "sonarqube",
    "squareup": "square", "sumologickey": "sumologic", "travisci": "travis", "weightsandbiases": "wandb",
    "webexbot": "webex", "youtube": "google", "zohocrm": "zoho", "zapierwebhook": "zapier",
    "tineswebhook": "tines", "pganalyzereadkey": "pganalyze", "weakpassword": "generic", "plaintext": "generic",
}
# Curated: single peer rules whose provider differs from their id's segment.
ID_MAP = {
    ("noseyparker", "np.azure.3"): "azure-devops", ("noseyparker", "np.azure.4"): "azure-devops",
    ("kingfisher", "kingfisher.azure.3"): "azure-devops", ("kingfisher", "kingfisher.azure.devops.1"): "azure-devops",
    ("kingfisher", "kingfisher.azure.devops.2"): "azure-devops",
    ("gitleaks", "hashicorp-tf-api-token"): "terraform", ("gitleaks", "hashicorp-tf-password"): "terraform",
    ("noseyparker", "np.http.1"): "basic-auth",
}
# Curated: what is not a secret on its own.
NOT_CREDENTIAL_NAME = re.compile(
    r"\b(?:Client ID|App ID|Application ID|Product ID|Organization ID|Org Name|Account ID|Bot ID|API ID|"
    r"Domain|Host|Username(?! and)|Email|Account Name|Account Identifier|Instance URL|Search URL|JFrog URL|Bucket|"
    r"Resource Name|Private Key ID|Public Key|PUBLIC Key|Public Access Token|Recipient)\b")
NOT_CREDENTIAL_IDS = {
    ("gitleaks", x) for x in (
        "adobe-client-id", "asana-client-id", "bitbucket-client-id", "discord-client-id", "linkedin-client-id",
        "looker-client-id", "messagebird-client-id", "plaid-client-id", "sendbird-access-id",
        "sumologic-access-id", "new-relic-user-api-id", "flutterwave-public-key", "lob-pub-api-key",
        "mailgun-pub-key")
}


def git(repo: pathlib.Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def gitleaks(repo):
    text = git(repo, "show", "HEAD:config/gitleaks.toml")
    rows = []
    for block in text.split("[[rules]]")[1:]:
        rid = re.search(r'^id\s*=\s*"([^"]+)"', block, re.M).group(1)
        rows.append((rid, ""))
    return rows


def yaml_rules(repo, folder):
    rows = []
    for path in git(repo, "ls-tree", "-r", "--name-only", "HEAD", folder).split():
        if not path.endswith((".yml", ".yaml")):
            continue
        name = None
        for line in git(repo, "show", f"HEAD:{path}").splitlines():
            m = re.match(r"^\s*-?\s*name:\s*(.+?)\s*$", line)
            if m:
                name = m.group(1).strip("'\"")
                continue
            m = re.match(r"^\s*id:\s*(\S+)\s*$", line)
            if m and name is not None:
                rows.append((m.group(1).strip("'\""), name))
                name = None
    return rows


def trufflehog(repo):
    out = git(repo, "ls-tree", "-d", "--name-only", "HEAD", "pkg/detectors/")
    return [(p.rsplit("/", 1)[-1], "") for p in out.split()]


def auto_key(peer, rid, known):
    if peer == "gitleaks":
        words = rid.split("-")
        for k in range(len(words), 0, -1):
            cand = "".join(words[:k])
            if cand in known:
                return cand
        return words[0]
    if peer in ("noseyparker", "kingfisher"):
        return norm(rid.split(".")[1])
    key = norm(rid)
    if key in known:
        return key
    for cut in range(len(key) - 1, 3, -1):
        if key[:cut] in known and only_words(key[cut:]):
            return key[:cut]
    return key


def only_words(rest: str) -> bool:
    if not rest:
        return True
    return any(rest.startswith(w) and only_words(rest[len(w):]) for w in WORDS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=pathlib.Path, default=pathlib.Path("/work/.mirror"))
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs/coverage/peers.tsv")
    args = parser.parse_args()

    raw = {
        "gitleaks": gitleaks(args.mirror / PEERS["gitleaks"]),
        "noseyparker": yaml_rules(args.mirror / PEERS["noseyparker"], "crates/noseyparker/data/default/builtin/rules"),
        "kingfisher": yaml_rules(args.mirror / PEERS["kingfisher"], "data/rules"),
        "trufflehog": trufflehog(args.mirror / PEERS["trufflehog"]),
    }
    known = {norm(p.stem) for p in (ROOT / "rules").glob("*.toml")}
    for peer in ("noseyparker", "kingfisher"):
        known |= {auto_key(peer, rid, set()) for rid, _ in raw[peer]}
    out = ["peer\tpeer_id\tprovider\tkind\tname"]
    for peer, rows in raw.items():
        seen = set()
        for rid, name in rows:
            if (peer, rid) in seen:
                continue
            seen.add((peer, rid))
            provider = auto_key(peer, rid, known)
            provider = ID_MAP.get((peer, rid), KEY_MAP.get(provider, provider))
            kind = "credential"
            if (peer, rid) in NOT_CREDENTIAL_IDS or NOT_CREDENTIAL_NAME.search(name):
                kind = "not-credential"
            out.append(f"{peer}\t{rid}\t{provider}\t{kind}\t{name}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(out) - 1} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
