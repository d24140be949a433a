// The subscriptions file the apply tests start from: the two entries and a third on another url.
export const THREE_SUBSCRIPTIONS = `# three subscriptions
subscriptions:
  - name: blog-cards
    event: render.completed
    url: https://example.com/webhooks/pictify
    filters: { templateId: tmpl_blog_card }
  - name: failures
    event: render.failed
    url: https://example.com/webhooks/pictify
  - name: bindings
    event: binding.updated
    url: https://example.com/webhooks/bindings
`;
