#!/usr/bin/env python3
"""Loopback stand-in for the stage-0 verifier (S²R spec §2.2) for smoke runs only.

Serves POST /v1/chat/completions on 127.0.0.1:PORT. It reads the question and answer out of the
official confirmative prompt and answers with a short check that ends in the fixed verdict
sentence, deciding by comparing the answer numerically with the gold answer of the GSM8K file
given on the command line. It is NOT a model: it exists so that `recheck s2r collect` -> `recheck
sft` can be exercised end to end with a tiny policy (SmolLM2-135M cannot state verdicts) when no
frontier verifier is reachable. Usage: s2r_reference_verifier.py DATA.jsonl PORT
"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

gold = {}
for line in open(sys.argv[1]):
    if line.strip():
        r = json.loads(line)
        if "answer" in r:
            gold[r["question"].strip()] = r["answer"].split("####")[-1].strip().replace(",", "")


def number(s):
    m = re.findall(r"-?\d+(?:\.\d+)?", s.replace(",", ""))
    return float(m[-1]) if m else None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        question = prompt.split("* Question:\n", 1)[1].split("\n\n* Answer:", 1)[0].strip()
        answer = prompt.split("* Answer:\n", 1)[1].split("\n\n* Your Prove:", 1)[0].strip()
        g = gold.get(question)
        ok = g is not None and number(answer) is not None and number(answer) == number(g)
        text = (
            f"Substituting {answer} back into the conditions of the problem, "
            + ("every condition holds. Therefore, the answer is correct." if ok
               else "one condition fails. Therefore, the answer is incorrect.")
        )
        out = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                       "finish_reason": "stop"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


HTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
