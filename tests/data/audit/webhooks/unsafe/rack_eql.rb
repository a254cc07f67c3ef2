require "openssl"

class HookApp
  SECRET = ENV.fetch("HOOK_SECRET")

  def call(env)
    body = env["rack.input"].read
    mac = OpenSSL::HMAC.hexdigest("SHA1", SECRET, body)
    provided = env["HTTP_X_SIGNATURE"].to_s.sub("sha1=", "")
    if !mac.eql?(provided)
      return [403, { "content-type" => "text/plain" }, ["forbidden"]]
    end
    [200, { "content-type" => "text/plain" }, ["ok"]]
  end
end
