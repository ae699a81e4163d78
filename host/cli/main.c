int clact_cli_placeholder_main;
int main(void){return 0;}
