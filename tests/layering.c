/* The program each layer's library is linked whole into, with only the layers below it
 * (CMakeLists.txt): if it links, the layer calls nothing above itself. */
int main(void)
{
	return 0;
}
