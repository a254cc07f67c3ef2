require "sinatra/base"
require "openssl"

class Receiver < Sinatra::Base
  post "/notify" do
    body = request.body.read
    halt 401 if request.env["HTTP_X_NOTIFY_SIGNATURE"] != OpenSSL::HMAC.hexdigest("SHA256", settings.notify_secret, body)
    NotifyWorker.perform_async(body)
    status 202
  end
end
