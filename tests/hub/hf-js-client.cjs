// Hugging Face's own JS client (@huggingface/hub, npm) against the stand-in
// hub: the file list, one file's download info, and a whole snapshot in the
// huggingface_hub cache layout, for the private repository with the token
// and, without it, the refusal. Proves the stand-in answers what a real hub
// client asks for, the same protocol huggingface_hub speaks.
// usage: node hf-js-client.cjs HUB_URL TOKEN_FILE CACHE_DIR
const fs = require("fs");
const path = require("path");
const { listFiles, fileDownloadInfo, snapshotDownload } = require("@huggingface/hub");

async function main() {
  const [hubUrl, tokenFile, cacheDir] = process.argv.slice(2);
  const accessToken = fs.readFileSync(tokenFile, "utf8").trim();
  const repo = { type: "model", name: "e2e-org/tiny-model" };
  const files = [];
  for await (const f of listFiles({ repo, hubUrl, accessToken, recursive: true }))
    if (f.type === "file") files.push(`${f.path} ${f.size}${f.lfs ? " lfs " + f.lfs.oid : ""}`);
  console.log("listFiles:\n  " + files.join("\n  "));
  const info = await fileDownloadInfo({ repo, hubUrl, accessToken, path: "weights.bin" });
  console.log(`fileDownloadInfo weights.bin: size ${info.size} etag ${info.etag}`);
  const dir = await snapshotDownload({ repo, hubUrl, accessToken, cacheDir });
  const got = [];
  const walk = (d) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else got.push(path.relative(dir, p));
    }
  };
  walk(dir);
  console.log("snapshotDownload: " + dir + "\n  " + got.join("\n  "));
  let refused = false;
  try {
    for await (const f of listFiles({ repo, hubUrl })) void f;
  } catch (error) {
    refused = error.statusCode === 401;
  }
  console.log("without the token: " + (refused ? "401" : "not refused"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
