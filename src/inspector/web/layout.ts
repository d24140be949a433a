// Shared by the stylesheet (server side) and the page's virtual list: the list positions rows by index.
export const ROW_HEIGHT_PX = 28;
