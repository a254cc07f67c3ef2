require "base64"
require "openssl"
require "rack"

class VerifyHookSignature
  def initialize(app, secret:)
    @app = app
    @secret = secret
  end

  def call(env)
    req = Rack::Request.new(env)
    return @app.call(env) unless req.path == "/hooks" && req.post?

    body = req.body.read
    req.body.rewind
    digest = Base64.strict_encode64(OpenSSL::HMAC.digest("sha256", @secret, body))
    given = env.fetch("HTTP_X_HOOK_SIGNATURE", "")
    return [401, {}, ["invalid signature"]] if given.bytesize != digest.bytesize
    return [401, {}, ["invalid signature"]] unless Rack::Utils.secure_compare(digest, given)

    @app.call(env)
  end
end
