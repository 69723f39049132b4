using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// The <see cref="AccessPolicies.JwtScheme"/> scheme: ASP.NET Core's JWT bearer handler set up from
/// <see cref="JwtSettings"/>, answering a refused token with a 401 problem that says why (expired, wrong signature,
/// wrong audience) and a missing role with a 403 naming it.
/// </summary>
internal static class JwtAuthentication
{
    public static AuthenticationBuilder AddFaceObjectJwt(this AuthenticationBuilder builder, JwtSettings jwt)
    {
        if (!jwt.Enabled)
        {
            return builder;
        }

        return builder.AddJwtBearer(AccessPolicies.JwtScheme, options =>
        {
            // Claims keep their names from the token (sub, roles, scope), not the long WS-Federation URIs.
            options.MapInboundClaims = false;
            if (jwt.Authority.Length > 0)
            {
                options.Authority = jwt.Authority;
                options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            }

            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = jwt.Issuer.Length > 0 ? jwt.Issuer : null,
                ValidateAudience = true,
                ValidAudience = jwt.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
                NameClaimType = "sub",

                // What JwtSettings.Grants looks for to tell a token's identity from a key's.
                AuthenticationType = AccessPolicies.JwtScheme,
                RoleClaimType = "roles",
            };
            if (jwt.SigningKey.Length > 0)
            {
                options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey));
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            options.Events = new JwtBearerEvents
            {
                OnChallenge = context =>
                {
                    context.HandleResponse();
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    return AccessProblems.WriteAsync(Problems(context.HttpContext), context.HttpContext, StatusCodes.Status401Unauthorized, Why(context.AuthenticateFailure, jwt));
                },
                OnForbidden = context => AccessProblems.WriteAsync(Problems(context.HttpContext), context.HttpContext, StatusCodes.Status403Forbidden,
                    "This token lacks the role or scope this endpoint needs (Auth:Jwt:DashboardRole or Auth:Jwt:DeleteRole)."),
            };
        });
    }

    private static IProblemDetailsService Problems(HttpContext context) => context.RequestServices.GetRequiredService<IProblemDetailsService>();

    /// <summary>Why a token was refused, in words a client can act on; never the token or the expected key.</summary>
    internal static string Why(Exception? failure, JwtSettings jwt) => failure switch
    {
        null => "This endpoint needs a token: send it as Authorization: Bearer <token>.",
        SecurityTokenExpiredException => "The token has expired: get a new one from the identity provider.",
        SecurityTokenNotYetValidException => "The token is not valid yet (its nbf is in the future).",
        SecurityTokenInvalidAudienceException => $"The token was issued for another audience: this server accepts aud '{jwt.Audience}'.",
        SecurityTokenInvalidIssuerException => "The token was issued by an issuer this server does not trust.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid for this server's keys.",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); this server accepts only tokens that expire.",
        _ => "The token is not valid.",
    };
}
