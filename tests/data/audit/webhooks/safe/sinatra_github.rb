require "json"
require "openssl"
require "rack/utils"
require "sinatra"

post "/payload" do
  request.body.rewind
  payload_body = request.body.read
  signature = "sha256=" + OpenSSL::HMAC.hexdigest(OpenSSL::Digest.new("sha256"), ENV.fetch("WEBHOOK_SECRET"), payload_body)
  halt 401, "signatures did not match" unless Rack::Utils.secure_compare(signature, request.env["HTTP_X_HUB_SIGNATURE_256"].to_s)
  push = JSON.parse(payload_body)
  halt 204 if push["zen"]
  "received #{push['ref']}"
end
