using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Efflux.Silo.Security;

/// <summary>
/// Describes authentication in the OpenAPI document: a bearer scheme (API key or JWT), required by every operation that
/// declares a permission, with the permission named in the operation's description.
/// </summary>
internal static class OpenApiSecurity
{
    private const string Scheme = "efflux";

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An Efflux API key (efx_…) or a JWT from the configured issuer; needed once Efflux:Auth is configured (docs/SECURITY.md).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresAttribute>().FirstOrDefault() is { } rule)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
                var needs = rule.AnyOf == Permissions.None
                    ? "any known caller"
                    : string.Join(" or ", rule.AnyOf.Words())
                        + (context.Description.RelativePath?.Contains("{ns}", StringComparison.Ordinal) == true ? " on {ns}" : " on every namespace");
                operation.Description = (operation.Description is { Length: > 0 } d ? d + " " : "") + $"Needs {needs}.";
            }

            return Task.CompletedTask;
        });
    }
}
