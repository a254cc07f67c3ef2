require "sinatra"
require "openssl"
require "json"

post "/events" do
  raw = request.body.read
  computed = OpenSSL::HMAC.hexdigest("sha256", ENV["EVENTS_SECRET"], raw)
  if computed == request.env["HTTP_X_EVENTS_SIGNATURE"]
    event = JSON.parse(raw)
    EventStore.append(event)
    status 200
  else
    status 403
  end
end
