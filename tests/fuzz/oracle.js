#!/usr/bin/env node
// The fuzzers' independent checkers, as one long-lived process (FuzzSupport.h).
// Requests on stdin: a kind byte ('D' a Dockerfile, 'S' a shell script), a
// 4-byte little-endian length, then the text. Answers on stdout: '0' (passed)
// or '1' (failed), a 4-byte length, then a message. A Dockerfile passes when
// dockerfile-utils' validator (the library behind `dockerfile-utils lint`)
// reports no error; a script passes when `bash -n` parses it.
// usage: node oracle.js DOCKERFILE_UTILS_LIB_MAIN
"use strict";
const fs = require("fs");
const childProcess = require("child_process");

const dockerfileUtils = require(process.argv[2]);
const ERROR = 1; // DiagnosticSeverity.Error

function readExactly(size) {
  const buffer = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    let n = 0;
    try {
      n = fs.readSync(0, buffer, got, size - got, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      throw e;
    }
    if (n === 0) process.exit(0); // the fuzzer is gone
    got += n;
  }
  return buffer;
}

function answer(ok, message) {
  const text = Buffer.from(message, "utf8");
  const header = Buffer.alloc(5);
  header[0] = ok ? 0x30 : 0x31;
  header.writeUInt32LE(text.length, 1);
  const reply = Buffer.concat([header, text]);
  for (let sent = 0; sent < reply.length; ) {
    try {
      sent += fs.writeSync(1, reply, sent, reply.length - sent);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}

function checkDockerfile(text) {
  const errors = dockerfileUtils
    .validate(text)
    .filter((d) => d.severity === ERROR)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  return errors.join("; ");
}

function checkShell(text) {
  const result = childProcess.spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
  if (result.error) return `cannot run bash: ${result.error.message}`;
  return result.status === 0 ? "" : (result.stderr || `bash -n exited with ${result.status}`).trim();
}

for (;;) {
  const header = readExactly(5);
  const kind = String.fromCharCode(header[0]);
  const text = readExactly(header.readUInt32LE(1)).toString("utf8");
  const problem = kind === "D" ? checkDockerfile(text) : checkShell(text);
  answer(problem === "", problem);
}
