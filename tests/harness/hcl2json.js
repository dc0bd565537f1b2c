// Parses an HCL file with HashiCorp's HCL (Go, compiled to WebAssembly: npm's
// @cdktf/hcl2json, installed by scripts/setup.sh --test) and prints it as
// JSON; exits 1 with the parser's message when the file is not valid HCL.
// usage: node hcl2json.js FILE
"use strict";
const fs = require("fs");
const path = require("path");

let hcl;
try {
  hcl = require("@cdktf/hcl2json");
} catch (e) {
  console.error("FAIL: npm's @cdktf/hcl2json is not installed; run 'scripts/setup.sh --test'");
  process.exit(1);
}
const file = process.argv[2];
hcl
  .parse(path.basename(file), fs.readFileSync(file, "utf8"))
  .then((json) => console.log(JSON.stringify(json, null, 1)))
  .catch((error) => {
    console.error(`FAIL: ${file} is not valid HCL: ${error}`);
    process.exit(1);
  });
