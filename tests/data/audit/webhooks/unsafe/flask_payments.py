import hashlib
import hmac
import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/payments/webhook", methods=["POST"])
def payments_webhook():
    sent = request.headers.get("X-Payments-Signature")
    expected = hmac.new(os.environ["PAYMENTS_SECRET"].encode(), request.data, hashlib.sha512).hexdigest()
    if sent != expected:
        return jsonify(error="signature"), 400
    event = request.get_json()
    process(event)
    return jsonify(received=True)
